import { useEffect, useState } from 'react';
import { useLocation } from 'react-router';
import { installAnalytics, onChoiceChange, readChoice, trackPageView } from '../../lib/analytics';

/** Reports route changes to first-party analytics — only once the visitor has accepted. */
export function AnalyticsTracker() {
  const { pathname } = useLocation();
  const [accepted, setAccepted] = useState(() => readChoice()?.analytics === true);
  useEffect(() => onChoiceChange((c) => setAccepted(c?.analytics === true)), []);
  useEffect(() => {
    if (!accepted) return;
    installAnalytics();
    trackPageView(pathname);
  }, [accepted, pathname]);
  return null;
}
