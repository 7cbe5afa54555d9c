import { SegmentedControl } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { LANGUAGES, type Language, setLanguage } from "../i18n";

const NAMES: Record<Language, string> = { en: "English", es: "Español" };

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const current: Language = i18n.language.startsWith("es") ? "es" : "en";
  return (
    <SegmentedControl
      aria-label={t("shell.language")}
      size="xs"
      value={current}
      onChange={(value) => { setLanguage(value as Language); }}
      data={LANGUAGES.map((lang) => ({ value: lang, label: NAMES[lang] }))}
    />
  );
}
