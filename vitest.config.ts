import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "~": fileURLToPath(new URL("./app", import.meta.url)) } },
  test: {
    include: ["app/**/*.test.{ts,tsx}", "tests/**/*.test.{ts,tsx}"],
    globalSetup: ["tests/support/global-setup.ts"],
    environment: "node",
    pool: "forks",
    // Three test files at a time on two cores: browser files spend much of their time waiting for a page (the run
    // used about 60% of both cores with two), and three cut the run by about a tenth with the same results.
    maxWorkers: 3,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    restoreMocks: true,
    // expect.poll waits for what a page shows after a navigation: on a loaded two-core machine that can take more
    // than the default second, and a slow page is not a wrong one.
    expect: { poll: { timeout: 10_000 } },
  },
});
