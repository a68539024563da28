/** Number formatting shared by the reports (US grouping in both languages, as Taiwan also uses it). */
export const money = (value: number): string =>
  `$${value.toLocaleString('en-US', { minimumFractionDigits: 0, maximumFractionDigits: 0 })}`;

export const moneyExact = (value: number): string =>
  `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

export const decimal = (value: number, digits = 2): string => value.toFixed(digits);

export const count = (value: number): string => value.toLocaleString('en-US', { maximumFractionDigits: 2 });

export const percent = (value: number, digits = 1): string => `${(value * 100).toFixed(digits)}%`;
