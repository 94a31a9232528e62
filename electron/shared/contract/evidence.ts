// Owned by the evidence domain. Declares its Api methods.
export const evidenceContract = {};
