import { validateRequest } from "../../simulator/contract/validate";

describe("validateRequest (Alibaba API metadata)", () => {
  const ok = {
    RegionId: "cn-hangzhou",
    DestinationRegionId: "eu-central-1",
    SnapshotId: "s-1",
    DestinationSnapshotName: "copy",
    DestinationSnapshotDescription: "a copy",
  };
  it("accepts a complete CopySnapshot with common parameters", () => {
    expect(
      validateRequest("Ecs", "CopySnapshot", {
        ...ok,
        Action: "CopySnapshot",
        "Tag.1.Key": "k",
        "Tag.1.Value": "v",
      }),
    ).toEqual([]);
  });
  it("reports missing required parameters, wrong types, malformed repeat lists and unknown parameters", () => {
    const { DestinationSnapshotName: _n, ...rest } = ok;
    const problems = validateRequest("Ecs", "CopySnapshot", {
      ...rest,
      RetentionDays: "ten",
      Encrypted: "yes",
      "Tag.0.Key": "k",
      "Tag.1.Colour": "red",
      Bogus: "1",
    });
    expect(problems.map((p) => [p.kind, p.param])).toEqual([
      ["missing", "DestinationSnapshotName"],
      ["type", "Encrypted"],
      ["type", "RetentionDays"],
      ["repeatList", "Tag.N"],
      ["unknown", "Tag.N.Colour"],
      ["unknown", "Bogus"],
    ]);
  });
  it("knows KMS actions and flat repeat lists", () => {
    expect(validateRequest("Kms", "ScheduleKeyDeletion", { KeyId: "k" }).map((p) => p.param)).toEqual([
      "PendingWindowInDays",
    ]);
    expect(
      validateRequest("Ecs", "UntagResources", {
        RegionId: "r",
        ResourceType: "snapshot",
        ResourceId: "s-1",
      }).map((p) => p.kind),
    ).toEqual(["repeatList"]);
  });
});
