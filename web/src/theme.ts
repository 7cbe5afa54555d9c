import { createTheme } from "@mantine/core";

// Kept to Mantine's defaults: its stylesheet already defines their CSS variables,
// so nothing needs injecting at run time (see main.tsx).
export const theme = createTheme({});
