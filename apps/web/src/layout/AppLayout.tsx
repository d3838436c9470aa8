import { AppShell, Box, Container } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation } from 'react-router';
import { CookieBanner } from '../components/privacy/CookieBanner';
import { UploadsProvider } from '../components/uploads/UploadsProvider';
import { BottomBar } from './BottomBar';
import { NavRail } from './NavRail';
import { TopBar } from './TopBar';
import { VerifyEmailBanner } from './VerifyEmailBanner';
import { useSyncLanguageWithAccount } from './useSyncLanguageWithAccount';

/** The signed-in shell: top bar, left rail (burger + bottom bar on phones), page content. */
export function AppLayout() {
  const [navOpened, nav] = useDisclosure(false);
  const location = useLocation();
  const { t } = useTranslation();
  useSyncLanguageWithAccount();

  useEffect(() => {
    nav.close();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [location.pathname]);

  return (
    <UploadsProvider>
      <AppShell
        header={{ height: 60 }}
        navbar={{ width: 248, breakpoint: 'sm', collapsed: { mobile: !navOpened } }}
        footer={{ height: { base: 64, sm: 0 }, collapsed: false }}
        padding={0}
      >
        <AppShell.Header>
          <TopBar navOpened={navOpened} onToggleNav={nav.toggle} />
        </AppShell.Header>
        <AppShell.Navbar aria-label={t('nav.label')}>
          <NavRail onNavigate={nav.close} />
        </AppShell.Navbar>
        <AppShell.Main>
          <Box id="main" tabIndex={-1} style={{ outline: 'none' }}>
            <VerifyEmailBanner />
            <Container size="xl" px={{ base: 'md', sm: 'xl' }} py={{ base: 'lg', sm: 'xl' }}>
              <Outlet />
            </Container>
          </Box>
        </AppShell.Main>
        <AppShell.Footer hiddenFrom="sm">
          <BottomBar />
        </AppShell.Footer>
      </AppShell>
      <CookieBanner signedIn />
    </UploadsProvider>
  );
}
