/**
 * Jest's default runner, marked serial: the engine project's test files run one at a time, in the main jest
 * process (after the parallel fast layers; jest runs one runner after another). Each engine test drives real
 * `pulumi` processes, so running two files at once would only make both slower on a small machine. Jest has
 * no per-project maxWorkers; `isSerial` on the runner is how a project opts out of parallelism
 * (@jest/core TestScheduler: `serial: runInBand || Boolean(testRunner.isSerial)`).
 */
const TestRunner = require("jest-runner").default;

class SerialRunner extends TestRunner {
  isSerial = true;
}

module.exports = SerialRunner;
