import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["src/**/*.test.ts", "scenarios/**/*.test.ts", "test/unit/**/*.test.ts"],
          environment: "node",
          globalSetup: ["test/global-setup-tools.ts"],
        },
      },
      {
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts", "test/e2e/**/*.test.ts"],
          environment: "node",
          globalSetup: ["test/global-setup-tools.ts", "test/global-setup.ts"],
          testTimeout: 240_000,
          hookTimeout: 240_000,
          // One engine, two cores: integration files run one at a time.
          fileParallelism: false,
        },
      },
    ],
  },
});
