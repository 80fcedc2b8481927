import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "~": fileURLToPath(new URL("./app", import.meta.url)) } },
  test: {
    include: ["app/**/*.test.{ts,tsx}", "tests/**/*.test.{ts,tsx}"],
    globalSetup: ["tests/support/global-setup.ts"],
    environment: "node",
    pool: "forks",
    // Two cores: two test files at a time; browser files start their own server and Chromium.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    restoreMocks: true,
    // expect.poll waits for what a page shows after a navigation: on a loaded two-core machine that can take more
    // than the default second, and a slow page is not a wrong one.
    expect: { poll: { timeout: 10_000 } },
  },
});
