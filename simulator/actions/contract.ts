import { validateRequest, type Problem } from "../contract/validate";
import { InvalidParameter, MissingParameter } from "../errors";
import type { Params } from "./params";

/**
 * The tag APIs answer a missing parameter with their own codes (TagResources / UntagResources error tables:
 * MissingParameter.RegionId, .ResourceType, .ResourceIds, .Tags, all 404); other actions answer the common
 * MissingParameter (400).
 */
const TAG_API_MISSING: Readonly<Record<string, string>> = {
  RegionId: "RegionId",
  ResourceType: "ResourceType",
  "ResourceId.N": "ResourceIds",
  "Tag.N": "Tags",
};
const TAG_APIS = new Set(["TagResources", "UntagResources", "ListTagResources"]);

/**
 * Checks a request against the action's API metadata before the action runs and throws the first problem as
 * the API answers it: a missing required parameter as MissingParameter, a wrong type or a malformed repeat list
 * as InvalidParameter (Alibaba Cloud "Common error codes": both 400). Parameters the action does not have are
 * ignored, as the real gateway does with unknown query parameters; every problem, those included, goes to
 * `note` (the admin API's contractProblems, for tests of what a client sends).
 * @internal
 */
export function checkContract(
  product: string,
  action: string,
  params: Params,
  note: (action: string, problem: Problem) => void = () => undefined,
): void {
  const problems = validateRequest(product, action, params);
  for (const p of problems) note(action, p);
  const problem: Problem | undefined = problems.find((p) => p.kind !== "unknown");
  if (!problem) return;
  if (problem.kind === "missing") {
    const suffix = TAG_APIS.has(action) ? TAG_API_MISSING[problem.param] : undefined;
    throw new MissingParameter(problem.sent ?? problem.param, suffix);
  }
  throw new InvalidParameter(problem.sent ?? problem.param, problem.message);
}
