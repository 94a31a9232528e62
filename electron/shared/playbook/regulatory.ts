/**
 * Regulated data categories a decision answer can flag, and the notification clocks each one starts. The guided
 * workflow reads these to show deadlines once a responder confirms which data was affected; counsel decides whether a
 * clock really applies (jurisdiction, thresholds, materiality), the playbook only makes sure nobody forgets to ask.
 */

export const DATA_CATEGORIES = ['personal', 'health', 'financial'] as const;
export type DataCategory = (typeof DATA_CATEGORIES)[number];

export interface NotificationClock {
  regime: string;
  /** The rule that sets the deadline. */
  rule: string;
  deadline: { amount: number; unit: 'hours' | 'calendar-days' | 'business-days' };
  /** The moment the clock starts counting. */
  startsAt: 'awareness' | 'discovery' | 'materiality-determination';
  notify: string;
}

export const DATA_CATEGORY_LABELS: Record<DataCategory, string> = {
  personal: 'Personal data (PII)',
  health: 'Protected health information (PHI)',
  financial: 'Financial records',
};

export const NOTIFICATION_CLOCKS: Record<DataCategory, readonly NotificationClock[]> = {
  personal: [
    {
      regime: 'GDPR',
      rule: 'Art. 33',
      deadline: { amount: 72, unit: 'hours' },
      startsAt: 'awareness',
      notify: 'the competent supervisory authority',
    },
  ],
  health: [
    {
      regime: 'HIPAA Breach Notification Rule',
      rule: '45 CFR 164.404',
      deadline: { amount: 60, unit: 'calendar-days' },
      startsAt: 'discovery',
      notify: 'affected individuals (and HHS; the media too above 500 residents of a state)',
    },
  ],
  financial: [
    {
      regime: 'SEC cybersecurity disclosure',
      rule: 'Form 8-K Item 1.05',
      deadline: { amount: 4, unit: 'business-days' },
      startsAt: 'materiality-determination',
      notify: 'investors, through a Form 8-K filing (registrants only)',
    },
    {
      regime: 'FTC Safeguards Rule (GLBA)',
      rule: '16 CFR 314.4(j)',
      deadline: { amount: 30, unit: 'calendar-days' },
      startsAt: 'discovery',
      notify: 'the FTC, when unencrypted information of 500 or more consumers is involved',
    },
  ],
};
