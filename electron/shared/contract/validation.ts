// Owned by the validation domain. Declares its Api methods.
export const validationContract = {};
