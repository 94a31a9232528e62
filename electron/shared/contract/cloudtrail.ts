// Owned by the cloudtrail domain. Declares its Api methods.
export const cloudtrailContract = {};
