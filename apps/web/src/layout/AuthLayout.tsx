import { Box, Center, Container, Group } from '@mantine/core';
import { Link, Outlet } from 'react-router';
import { Brand } from '../components/Brand';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { CookieBanner } from '../components/privacy/CookieBanner';
import classes from './AuthLayout.module.css';

/** Clean, centred pages for signing in and for links that arrive by email. */
export function AuthLayout() {
  return (
    <Box className={classes.root}>
      <Group justify="space-between" p="lg">
        <Link to="/" className={classes.brandLink} aria-label="ClipMix">
          <Brand size="md" />
        </Link>
        <LanguageSwitch size="xs" />
      </Group>
      <Center component="main" px="md" pb={64} className={classes.main}>
        <Container size={440} w="100%" p={0}>
          <Outlet />
        </Container>
      </Center>
      <CookieBanner signedIn={false} />
    </Box>
  );
}
