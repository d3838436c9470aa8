import { Anchor, type AnchorProps } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { MailLink } from './links';

/** Links to this app's pages open here; anything else opens in a new tab. */
export function MailLinkAnchor({ link, children, ...props }: { link: MailLink; children: ReactNode } & AnchorProps) {
  if (link.internal) {
    return (
      <Anchor component={Link} to={link.internal} data-testid="mail-link" {...props}>
        {children}
      </Anchor>
    );
  }
  return (
    <Anchor href={link.href} target="_blank" rel="noopener noreferrer" data-testid="mail-link" {...props}>
      {children}
    </Anchor>
  );
}
