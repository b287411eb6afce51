// Tailwind 4 reads its theme from CSS (app/globals.css, `@theme`); this file is the JS side of the
// same configuration, loaded there with `@config`, for content paths and plugin-free extensions.
import type { Config } from "tailwindcss";

const config: Config = {
  content: ["./app/**/*.{ts,tsx}", "./components/**/*.{ts,tsx}", "./lib/**/*.{ts,tsx}"],
  theme: {
    extend: {
      colors: {
        brand: {
          50: "#eef6ff",
          100: "#d9eaff",
          500: "#2f6fed",
          600: "#1f57d1",
          700: "#1a45a8",
        },
      },
    },
  },
};

export default config;
