/**
 * Engine tests run real `pulumi` processes; one step (a packaging install, an up that waits for copies) can
 * take minutes on a small machine. jest ignores `testTimeout` inside `projects`, so the engine project sets
 * it here (setupFilesAfterEnv), for every test and hook in tests/engine/.
 */
jest.setTimeout(10 * 60_000);
