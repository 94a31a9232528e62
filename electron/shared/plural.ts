/** "1 check", "2 checks": counts in messages, reports and the UI read as English. */
export const plural = (n: number, word: string, many = `${word}s`): string => `${n} ${n === 1 ? word : many}`;
