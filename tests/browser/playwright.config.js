// @ts-check
// Gallery's browser tests: Playwright driving Debian's Chromium (it cannot
// download its own browser here), one test file at a time, each starting
// its own server on port 0 with a temporary data directory.
import { defineConfig } from "@playwright/test";

export default defineConfig({
  testDir: "./specs",
  workers: 1,
  fullyParallel: false,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  forbidOnly: true,
  retries: 0,
  reporter: [["list"]],
  outputDir: "../../target/playwright",
  use: {
    launchOptions: {
      executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
    trace: "off",
    screenshot: "only-on-failure",
  },
});
