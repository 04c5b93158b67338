// Seeded accounts of the sandbox portals. They are deterministic on purpose: e2e tests,
// demos and benchmarks log in with them, and the data-collection job's tests compare the
// bills it scraped against this file. Change a value here and those expectations move too.

export const PORTAL_IDS = [
  "northwind",
  "cascade",
  "helios",
  "summit",
  "lakeside",
  "lumiere",
] as const;
export type TPortalId = (typeof PORTAL_IDS)[number];

export type TUtilityType = "electricity" | "gas" | "water";
/** Machine form of a unit, as in `data-unit`; pages display `m3` as "m³". */
export type TUsageUnit = "kWh" | "m3";
export type TCurrency = "USD" | "GBP" | "CAD" | "EUR";

export type TSandboxBill = {
  /** Stable id, unique within a portal; used in download URLs and `data-bill-id`. */
  id: string;
  utility: TUtilityType;
  /** ISO dates (YYYY-MM-DD), both inclusive. */
  periodStart: string;
  periodEnd: string;
  issuedOn: string;
  dueOn: string;
  usage: number;
  unit: TUsageUnit;
  /** Integer minor units (cents) so that totals never drift through floating point. */
  amountCents: number;
  currency: TCurrency;
};

export type TSandboxAccount = {
  username: string;
  password: string;
  holderName: string;
  accountNumber: string;
  serviceAddress: string;
  /** Where one-time codes go on MFA portals (shown masked on the code page). */
  phone?: string;
  email?: string;
  /** Seeded as locked: every sign-in shows the portal's "locked" message until reset. */
  lockedAtStart?: boolean;
  bills: TSandboxBill[];
};

type TBillSeed = { usage: number; amount: number };

/**
 * Monthly bills for July–October 2026, one per seed, each issued 25 days after its period
 * ends (so the October bill is issued on 2026-11-25) and due 21 days after issue.
 */
function monthlyBills(
  prefix: string,
  utility: TUtilityType,
  unit: TUsageUnit,
  currency: TCurrency,
  seeds: TBillSeed[],
): TSandboxBill[] {
  return seeds.map((seed, index) => {
    const month = 7 + index; // July 2026 onwards
    const start = new Date(Date.UTC(2026, month - 1, 1));
    const end = new Date(Date.UTC(2026, month, 0));
    const issued = addDays(end, 25);
    return {
      id: `${prefix}-2026${String(month).padStart(2, "0")}`,
      utility,
      periodStart: isoDate(start),
      periodEnd: isoDate(end),
      issuedOn: isoDate(issued),
      dueOn: isoDate(addDays(issued, 21)),
      usage: seed.usage,
      unit,
      amountCents: Math.round(seed.amount * 100),
      currency,
    };
  });
}

function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * 86_400_000);
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export const SANDBOX_PASSWORD = "correct-horse-1";

export const SANDBOX_ACCOUNTS: Record<TPortalId, TSandboxAccount[]> = {
  northwind: [
    {
      username: "alice",
      password: SANDBOX_PASSWORD,
      holderName: "Alice Martin",
      accountNumber: "NW-4410-2291",
      serviceAddress: "120 Harbor Street, Portland, OR 97204",
      bills: monthlyBills("NW-A", "electricity", "kWh", "USD", [
        { usage: 612, amount: 88.14 },
        { usage: 701.5, amount: 101.02 },
        { usage: 655, amount: 94.32 },
        { usage: 540.25, amount: 77.8 },
      ]),
    },
    {
      username: "bob",
      password: "correct-horse-2",
      holderName: "Bob Okafor",
      accountNumber: "NW-4410-7713",
      serviceAddress: "8 Alder Lane, Portland, OR 97219",
      bills: monthlyBills("NW-B", "electricity", "kWh", "USD", [
        { usage: 1320, amount: 190.08 },
        { usage: 1411, amount: 203.18 },
      ]),
    },
    {
      username: "locked",
      password: SANDBOX_PASSWORD,
      holderName: "Lockie Jones",
      accountNumber: "NW-4410-0001",
      serviceAddress: "1 Closed Road, Portland, OR 97201",
      lockedAtStart: true,
      bills: [],
    },
  ],
  cascade: [
    {
      username: "alice@example.com",
      password: SANDBOX_PASSWORD,
      holderName: "Alice Martin",
      accountNumber: "CW-001-558-204",
      serviceAddress: "120 Harbor Street, Seattle, WA 98101",
      bills: monthlyBills("CW-A", "water", "m3", "USD", [
        { usage: 14.2, amount: 61.4 },
        { usage: 15.8, amount: 66.9 },
        { usage: 12.1, amount: 55.35 },
      ]),
    },
    {
      username: "bob@example.com",
      password: "correct-horse-2",
      holderName: "Bob Okafor",
      accountNumber: "CW-001-558-977",
      serviceAddress: "8 Alder Lane, Seattle, WA 98109",
      bills: monthlyBills("CW-B", "water", "m3", "USD", [{ usage: 22.4, amount: 89.1 }]),
    },
    {
      username: "locked@example.com",
      password: SANDBOX_PASSWORD,
      holderName: "Lockie Jones",
      accountNumber: "CW-001-000-001",
      serviceAddress: "1 Closed Road, Seattle, WA 98104",
      lockedAtStart: true,
      bills: [],
    },
  ],
  helios: [
    {
      username: "alice@example.com",
      password: SANDBOX_PASSWORD,
      holderName: "Alice Martin",
      accountNumber: "HE 7720 1145 09",
      serviceAddress: "14 Kingsway, Manchester M19 2LL",
      // Dual fuel: one electricity and one gas bill per month, as British suppliers send.
      bills: [
        ...monthlyBills("HE-A-E", "electricity", "kWh", "GBP", [
          { usage: 240.5, amount: 71.22 },
          { usage: 228, amount: 67.9 },
          { usage: 251.75, amount: 74.61 },
        ]),
        ...monthlyBills("HE-A-G", "gas", "kWh", "GBP", [
          { usage: 410, amount: 32.8 },
          { usage: 455.2, amount: 36.01 },
          { usage: 820.9, amount: 63.44 },
        ]),
      ],
    },
    {
      username: "bob@example.com",
      password: "correct-horse-2",
      holderName: "Bob Okafor",
      accountNumber: "HE 7720 5531 12",
      serviceAddress: "3 Mill Lane, Leeds LS1 4AP",
      bills: monthlyBills("HE-B-E", "electricity", "kWh", "GBP", [{ usage: 180, amount: 53.1 }]),
    },
    {
      username: "locked@example.com",
      password: SANDBOX_PASSWORD,
      holderName: "Lockie Jones",
      accountNumber: "HE 7720 0000 01",
      serviceAddress: "1 Closed Road, London E1 6AN",
      lockedAtStart: true,
      bills: [],
    },
  ],
  summit: [
    {
      username: "alice@example.com",
      password: SANDBOX_PASSWORD,
      holderName: "Alice Martin",
      accountNumber: "SG-88-40211",
      serviceAddress: "120 Harbor Street, Denver, CO 80202",
      phone: "+1 303 555 0142",
      bills: monthlyBills("SG-A", "gas", "m3", "USD", [
        { usage: 31.5, amount: 42.7 },
        { usage: 36, amount: 47.15 },
        { usage: 88.4, amount: 109.6 },
      ]),
    },
    {
      username: "bob@example.com",
      password: "correct-horse-2",
      holderName: "Bob Okafor",
      accountNumber: "SG-88-77310",
      serviceAddress: "8 Alder Lane, Boulder, CO 80302",
      phone: "+1 720 555 0199",
      bills: monthlyBills("SG-B", "gas", "m3", "USD", [{ usage: 52, amount: 66.2 }]),
    },
    {
      username: "locked@example.com",
      password: SANDBOX_PASSWORD,
      holderName: "Lockie Jones",
      accountNumber: "SG-88-00001",
      serviceAddress: "1 Closed Road, Denver, CO 80203",
      phone: "+1 303 555 0100",
      lockedAtStart: true,
      bills: [],
    },
  ],
  lakeside: [
    {
      username: "alice@example.com",
      password: SANDBOX_PASSWORD,
      holderName: "Alice Martin",
      accountNumber: "LU-2026-33190",
      serviceAddress: "120 Harbour Street, Toronto, ON M5J 2N8",
      email: "alice@example.com",
      bills: monthlyBills("LU-A", "electricity", "kWh", "CAD", [
        { usage: 780, amount: 118.45 },
        { usage: 845.5, amount: 127.3 },
        { usage: 760, amount: 115.1 },
      ]),
    },
    {
      username: "bob@example.com",
      password: "correct-horse-2",
      holderName: "Bob Okafor",
      accountNumber: "LU-2026-44821",
      serviceAddress: "8 Alder Lane, Mississauga, ON L5B 3C2",
      email: "bob@example.com",
      bills: monthlyBills("LU-B", "electricity", "kWh", "CAD", [{ usage: 990, amount: 150.4 }]),
    },
    {
      username: "locked@example.com",
      password: SANDBOX_PASSWORD,
      holderName: "Lockie Jones",
      accountNumber: "LU-2026-00001",
      serviceAddress: "1 Closed Road, Toronto, ON M5V 1A1",
      email: "locked@example.com",
      lockedAtStart: true,
      bills: [],
    },
  ],
  lumiere: [
    {
      username: "alice@example.fr",
      password: SANDBOX_PASSWORD,
      holderName: "Alice Martin",
      accountNumber: "EL 004 128 337",
      serviceAddress: "12 rue des Lilas, 69003 Lyon",
      // The October bill carries the yearly adjustment: an amount above 1 000 € shows the
      // French thousands separator ("1 234,56 €").
      bills: monthlyBills("EL-A", "electricity", "kWh", "EUR", [
        { usage: 412.5, amount: 98.4 },
        { usage: 398, amount: 94.75 },
        { usage: 455.25, amount: 108.3 },
        { usage: 5120.75, amount: 1234.56 },
      ]),
    },
    {
      username: "bob@example.fr",
      password: "correct-horse-2",
      holderName: "Bruno Ollivier",
      accountNumber: "EL 004 128 901",
      serviceAddress: "3 place Bellecour, 69002 Lyon",
      bills: monthlyBills("EL-B", "electricity", "kWh", "EUR", [{ usage: 300, amount: 71.2 }]),
    },
    {
      username: "bloque@example.fr",
      password: SANDBOX_PASSWORD,
      holderName: "Lucie Bloquet",
      accountNumber: "EL 004 000 001",
      serviceAddress: "1 impasse Fermée, 75011 Paris",
      lockedAtStart: true,
      bills: [],
    },
  ],
};

export function findAccount(portal: TPortalId, username: string): TSandboxAccount | undefined {
  // Usernames are matched case-insensitively and trimmed, like most real portals do.
  const wanted = username.trim().toLowerCase();
  return SANDBOX_ACCOUNTS[portal].find((account) => account.username.toLowerCase() === wanted);
}
