/**
 * The real-cloud example (examples/real-cloud) cannot run here: it needs the alicloud provider plugin and an
 * account. Under Pulumi mocks it runs as written, and these tests check its wiring: the snapshot's and the
 * destination key's IDs flow into the SnapshotCopy inputs, and the key is created in the encrypted copy's region.
 */
import * as pulumi from "@pulumi/pulumi";

// The example imports the library by its package name, as a user's program would. In the repository that
// name resolves by self-reference to dist/ (package.json "exports"); tests use the sources instead.
jest.mock("pulumi-alicloud-snapshot-copy", () => jest.requireActual("../../provider"), { virtual: true });

/** Every resource the program registered, with the inputs it received. */
const registered: pulumi.runtime.MockResourceArgs[] = [];

/** IDs the mocked cloud hands out, by resource type. */
const mockIds: Record<string, string> = {
  "alicloud:ecs/ecsDisk:EcsDisk": "d-mockdisk0001",
  "alicloud:ecs/ecsSnapshot:EcsSnapshot": "s-mocksnapshot0001",
  "alicloud:kms/key:Key": "key-mockkey0001",
};

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push(args);
        const id = mockIds[args.type] ?? `${args.name}-id`;
        return { id, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    "snapshot-copy-real-cloud",
    "test",
  );
});

const valueOf = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply(resolve));

/** Runs the program and waits until every resource has registered with its resolved inputs. */
async function runProgram() {
  const { declareBackups } = await import("../../examples/real-cloud/backups");
  const backups = declareBackups({
    sourceRegion: "cn-hangzhou",
    zoneId: "cn-hangzhou-h",
    instanceId: "i-mockinstance0001",
    copyRegion: "cn-shanghai",
    encryptedCopyRegion: "eu-central-1",
    diskSizeGiB: 40,
  });
  await Promise.all([valueOf(backups.copy.urn), valueOf(backups.encryptedCopy.urn)]);
  return backups;
}

const inputsOf = (name: string) => {
  const r = registered.find((x) => x.name === name);
  if (!r) throw new Error(`no resource named ${name} was registered`);
  return r;
};

describe("the real-cloud example, run under Pulumi mocks", () => {
  let backups: Awaited<ReturnType<typeof runProgram>>;
  beforeAll(async () => {
    backups = await runProgram();
  });

  it("GIVEN the mocked snapshot THEN both copies copy it from the source region", () => {
    for (const name of ["orders-data-copy", "orders-data-encrypted-copy"]) {
      const copy = inputsOf(name);
      expect(copy.type).toBe("pulumi-nodejs:dynamic/alicloud:SnapshotCopy");
      expect(copy.inputs).toMatchObject({
        sourceSnapshotId: "s-mocksnapshot0001",
        sourceRegionId: "cn-hangzhou",
      });
    }
  });

  it("GIVEN the mocked KMS key THEN the encrypted copy is encrypted with it in the key's region", () => {
    expect(inputsOf("orders-data-encrypted-copy").inputs).toMatchObject({
      destinationRegionId: "eu-central-1",
      encrypted: true,
      kmsKeyId: "key-mockkey0001",
    });
  });

  it("THEN the plain copy goes to the other region without encryption", () => {
    const plain = inputsOf("orders-data-copy").inputs;
    expect(plain.destinationRegionId).toBe("cn-shanghai");
    expect(plain.encrypted).toBeUndefined();
    expect(plain.kmsKeyId).toBeUndefined();
  });

  it("THEN the KMS key is created through the provider of the encrypted copy's region", () => {
    const provider = inputsOf("encrypted-copy-region");
    expect(provider.type).toBe("pulumi:providers:alicloud");
    expect(provider.inputs.region).toBe("eu-central-1");
    expect(inputsOf("orders-backup").provider).toMatch(/::encrypted-copy-region::encrypted-copy-region-id$/);
  });

  it("THEN the snapshot is taken of the disk once it is attached to the instance", () => {
    const attachment = registered.find((r) => r.type === "alicloud:ecs/ecsDiskAttachment:EcsDiskAttachment");
    expect(attachment?.inputs).toMatchObject({ diskId: "d-mockdisk0001", instanceId: "i-mockinstance0001" });
    const snapshot = registered.find((r) => r.type === "alicloud:ecs/ecsSnapshot:EcsSnapshot");
    expect(snapshot?.inputs.diskId).toBe("d-mockdisk0001");
  });

  it("THEN the copies' outputs are the SnapshotCopy outputs a user exports", async () => {
    expect(await valueOf(backups.encryptedCopy.kmsKeyId)).toBe("key-mockkey0001");
    expect(await valueOf(backups.copy.sourceSnapshotId)).toBe("s-mocksnapshot0001");
  });
});
