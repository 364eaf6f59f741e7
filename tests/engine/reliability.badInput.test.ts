/**
 * Bad input: a table of invalid inputs, each failing at `pulumi preview` through the real engine.
 * Each names the property, tells the user what to do, and the simulator sees zero calls.
 *
 * Speed: the engine stops a preview at the first resource whose check fails, but it prints every failure of
 * that resource. So rows that touch different inputs are packed into one resource and one preview (a handful
 * of previews for the whole table), and each row is then asserted on its own.
 */
import type { Simulator } from "../../simulator";
import {
  diagnostics,
  EngineStack,
  failure,
  Recording,
  SNAPSHOT_COPY_TYPE,
  startEngineSimulator,
  TAGS_21,
  VALID_COPY,
  type CopySpec,
} from "./harness";

/** One invalid input: what is wrong, the property the error must name, the change, the advice it must give. */
interface Row {
  what: string;
  property: string;
  change: Record<string, unknown>;
  advice: RegExp;
  /** Other inputs the rule reads (rows sharing an input never go into the same preview). */
  reads?: string[];
}

const ROWS: Row[] = [
  // Wrong ID shapes
  {
    what: "a source ID that is not a snapshot ID",
    property: "sourceSnapshotId",
    change: { sourceSnapshotId: "snap-123" },
    advice: /set it to the ID of the snapshot to copy/,
  },
  {
    what: "an empty source ID",
    property: "sourceSnapshotId",
    change: { sourceSnapshotId: "" },
    advice: /"s-" followed by letters and digits/,
  },
  {
    what: "a region ID with underscores",
    property: "destinationRegionId",
    change: { destinationRegionId: "eu_central_1" },
    advice: /set it to the region to copy the snapshot to/,
  },
  {
    what: "a region name instead of an ID",
    property: "sourceRegionId",
    change: { sourceRegionId: "Hangzhou" },
    advice: /set it to the region the source snapshot is in/,
  },
  {
    what: "a resource group ID without rg-",
    property: "resourceGroupId",
    change: { resourceGroupId: "group-1" },
    advice: /use an alicloud\.resourcemanager\.ResourceGroup's id/,
  },
  {
    what: "an adopt ID that is not a snapshot ID",
    property: "adoptSnapshotId",
    change: { adoptSnapshotId: "copy-1" },
    advice: /set it to the ID of the existing copy/,
  },
  // Rules across inputs
  {
    what: "a same-region copy without encryption",
    property: "destinationRegionId",
    change: { destinationRegionId: "cn-hangzhou" },
    advice: /set encrypted: true, or choose another destinationRegionId/,
    reads: ["sourceRegionId", "encrypted", "kmsKeyId"],
  },
  {
    what: "a KMS key without encrypted",
    property: "kmsKeyId",
    change: { kmsKeyId: "alias/backup" },
    advice: /set encrypted: true, or remove kmsKeyId/,
    reads: ["encrypted"],
  },
  // Retention
  {
    what: "retention 0",
    property: "retentionDays",
    change: { retentionDays: 0 },
    advice: /whole number from 1 to 65536 .*set it to how many days/,
  },
  {
    what: "retention 65537",
    property: "retentionDays",
    change: { retentionDays: 65537 },
    advice: /whole number from 1 to 65536 \(got 65537\)/,
  },
  {
    what: "retention of 1.5 days",
    property: "retentionDays",
    change: { retentionDays: 1.5 },
    advice: /whole number/,
  },
  // Tags
  {
    what: "21 tags",
    property: "tags",
    change: { tags: TAGS_21 },
    advice: /at most 20 per snapshot.*owns the copy.*remove 3/,
  },
  {
    what: "an acs: tag key",
    property: "tags",
    change: { tags: { "acs:team": "x" } },
    advice: /tags\["acs:team"\].*reserved by Alibaba Cloud\); rename it/,
  },
  {
    what: "an aliyun tag key",
    property: "tags",
    change: { tags: { aliyunteam: "x" } },
    advice: /tags\["aliyunteam"\].*rename it/,
  },
  {
    what: "an http:// tag value",
    property: "tags",
    change: { tags: { team: "http://x" } },
    advice: /must not contain http:\/\/ or https:\/\/; change it/,
  },
  // Name and description
  {
    what: "an http:// name",
    property: "name",
    change: { name: "http://backup" },
    advice: /must not start with http:\/\/.*starting with a letter/,
  },
  { what: "a one-letter name", property: "name", change: { name: "a" }, advice: /2 to 128 characters/ },
  {
    what: "a name starting with a digit",
    property: "name",
    change: { name: "1backup" },
    advice: /must start with a letter/,
  },
  {
    what: "a name starting with auto",
    property: "name",
    change: { name: "auto-backup" },
    advice: /must not start with "auto"/,
  },
  {
    what: "a 257-character description",
    property: "description",
    change: { description: "d".repeat(257) },
    advice: /write 2 to 256 characters/,
  },
  // Waiting settings
  {
    what: "a negative timeout",
    property: "timeoutMinutes",
    change: { timeoutMinutes: -5 },
    advice: /greater than 0 \(got -5\); set it to the longest create may wait/,
    reads: ["pollMinSeconds"],
  },
  {
    what: "a zero stall timeout",
    property: "stallTimeoutMinutes",
    change: { stallTimeoutMinutes: 0 },
    advice: /greater than 0/,
  },
  {
    what: "an unknown onTimeout",
    property: "onTimeout",
    change: { onTimeout: "abort" },
    advice: /"cancel" .* or "keep"/,
  },
  {
    what: "pollMaxSeconds below pollMinSeconds",
    property: "pollMaxSeconds",
    change: { pollMinSeconds: 30, pollMaxSeconds: 10 },
    advice: /raise pollMaxSeconds or lower pollMinSeconds/,
  },
  // Wrong types
  {
    what: "a number as source ID",
    property: "sourceSnapshotId",
    change: { sourceSnapshotId: 42 },
    advice: /\(got 42\)/,
  },
  {
    what: "a string as retention",
    property: "retentionDays",
    change: { retentionDays: "30" },
    advice: /\(got "30"\)/,
  },
  {
    what: "a string as timeout",
    property: "timeoutMinutes",
    change: { timeoutMinutes: "10" },
    advice: /\(got "10"\)/,
    reads: ["pollMinSeconds"],
  },
  {
    what: "a string as encrypted",
    property: "encrypted",
    change: { encrypted: "yes" },
    advice: /must be true or false \(got "yes"\)/,
  },
  {
    what: "a list as tags",
    property: "tags",
    change: { tags: ["team"] },
    advice: /object of key-value strings.*\(got a list\)/,
  },
  {
    what: "a string as forceDelete",
    property: "forceDelete",
    change: { forceDelete: "true" },
    advice: /must be true or false/,
  },
  {
    what: "a string as waitForCompletion",
    property: "waitForCompletion",
    change: { waitForCompletion: "no" },
    advice: /must be true or false/,
  },
  {
    what: "a misspelt input name",
    property: "destinationRegion",
    change: { destinationRegion: "eu-central-1" },
    advice: /is not a SnapshotCopy input; remove it or check its spelling/,
  },
];

/** Packs rows into previews: no two rows in one preview touch the same input. */
function batches(rows: Row[]): Row[][] {
  const out: { rows: Row[]; touched: Set<string> }[] = [];
  for (const row of rows) {
    const touches = [...Object.keys(row.change), ...(row.reads ?? [])];
    let b = out.find((x) => touches.every((k) => !x.touched.has(k)));
    if (!b) out.push((b = { rows: [], touched: new Set() }));
    b.rows.push(row);
    touches.forEach((k) => b!.touched.add(k));
  }
  return out.map((b) => b.rows);
}

/** What a preview told the user about one row, and how many API calls the simulator saw during it. */
interface Outcome {
  line?: string;
  calls: number;
}

describe("GIVEN SnapshotCopy inputs the API would reject", () => {
  let sim: Simulator;
  let stack: EngineStack;
  const outcomes = new Map<Row, Outcome>();
  let previews = 0;

  /** Runs one failing preview and maps each row to the engine's line for its property. */
  async function previewBatch(copies: CopySpec[], rows: Row[]): Promise<void> {
    sim.admin.resetCounters();
    await stack.setCopies(copies);
    const rec = new Recording();
    const error = await failure(stack.preview({}, rec));
    previews++;
    const calls = sim.admin.count();
    // The engine prints each check failure as "<type> resource '<name>': property <p> value <v> has a problem: <reason>".
    const lines = [error.message, ...diagnostics(rec.events).map((d) => d.message)]
      .join("\n")
      .split("\n")
      .filter((l) => l.includes("has a problem"));
    for (const row of rows) {
      const line = lines.find((l) => l.includes(`property ${row.property} value`) && row.advice.test(l));
      outcomes.set(row, { line, calls });
    }
  }

  const SHRINK: Row = {
    what: "retention shrunk from 30 to 10 days after up",
    property: "retentionDays",
    change: { retentionDays: 10 },
    advice: /cannot shrink from 30 to 10.*set it to 30 or more, or replace the copy/,
  };

  beforeAll(async () => {
    const started = await startEngineSimulator();
    sim = started.sim;
    stack = await EngineStack.create(sim, started.creds, [VALID_COPY]);
    for (const rows of batches(ROWS)) {
      const merged = Object.assign({}, VALID_COPY, ...rows.map((r) => r.change)) as CopySpec;
      await previewBatch([merged], rows);
    }
    // Shrinking needs a copy in the stack first.
    const kept: CopySpec = { ...VALID_COPY, resourceName: "kept", retentionDays: 30 };
    await stack.setCopies([kept]);
    expect((await stack.up()).result.summary.result).toBe("succeeded");
    await previewBatch([{ ...kept, ...SHRINK.change } as CopySpec], [SHRINK]);
  }, 5 * 60_000);

  afterAll(async () => {
    await stack?.dispose();
    await sim?.stop();
  });

  test(`the table has at least 25 rows, checked in a few previews (not one each)`, () => {
    expect(ROWS.length + 1).toBeGreaterThanOrEqual(25);
    expect(previews).toBeLessThan(ROWS.length / 3);
  });

  test.each([...ROWS, SHRINK].map((r) => [r.what, r.property, r] as const))(
    "WHEN given %s THEN preview fails naming %s, says what to do, and the simulator saw zero calls",
    (_what, property, row) => {
      const o = outcomes.get(row)!;
      expect(o.line).toEqual(expect.stringContaining(`${SNAPSHOT_COPY_TYPE} resource '`));
      expect(o.line).toEqual(expect.stringContaining(`property ${property} value`));
      expect(o.line).toMatch(row.advice);
      expect(o.calls).toBe(0);
    },
  );
});
