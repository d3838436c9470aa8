import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { detectLanguage } from './language';
import { resources } from './resources';

export { resources };

void i18next.use(initReactI18next).init({
  resources,
  lng: detectLanguage(),
  fallbackLng: 'en',
  supportedLngs: ['en', 'es'],
  interpolation: { escapeValue: false },
  returnNull: false,
  showSupportNotice: false,
});

i18next.on('languageChanged', (lng) => {
  document.documentElement.lang = lng;
});
document.documentElement.lang = i18next.language;

export default i18next;
