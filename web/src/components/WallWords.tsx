import { useTranslation } from "react-i18next";
import { departmentWords } from "../lib/wall";

/** A department code in the UI language (the code in words when the catalog has none). */
export function useDepartmentName(): (code: string) => string {
  const { t } = useTranslation();
  return (code) => t(`wall.department.${code}`, departmentWords(code));
}
