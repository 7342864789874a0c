import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Scenarios import "netcheck" (the package entry point, as users do); from source that is src/index.ts.
const netcheck = { find: /^netcheck$/, replacement: fileURLToPath(new URL("./src/index.ts", import.meta.url)) };

export default defineConfig({
  resolve: { alias: [netcheck] },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["src/**/*.test.ts", "scenarios/**/*.test.ts", "test/unit/**/*.test.ts"],
          environment: "node",
          globalSetup: ["test/global-setup-tools.ts"],
        },
      },
      {
        extends: true,
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
