import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["build/**", "public/build/**", "public/service-worker.js", "node_modules/**", "data/**", ".cache/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // Tests must not be skipped or focused: a skipped test is a defect here.
      "no-restricted-properties": [
        "error",
        { object: "it", property: "skip" },
        { object: "it", property: "only" },
        { object: "it", property: "todo" },
        { object: "describe", property: "skip" },
        { object: "describe", property: "only" },
        { object: "test", property: "skip" },
        { object: "test", property: "only" },
      ],
    },
  },
  {
    // Components run in the browser too: server-only modules may be imported by routes' loaders and actions,
    // which Remix strips, but never by shared UI code.
    files: ["app/ui/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["**/*.server", "**/*.server.*"], message: "UI components must not import server-only modules." }] }],
    },
  },
);
