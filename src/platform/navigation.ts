import { can, type Actor, type Permission } from './access/policy.js';
import type { Role } from './access/roles.js';

/** Each role's own start page. */
export const START_PAGES = {
  link_worker: '/today',
  service_manager: '/manager',
  referrer: '/referrer',
  provider: '/provider',
  directory_editor: '/directory-editor',
  commissioner: '/commissioner',
  admin: '/admin',
} as const satisfies Record<Role, string>;

interface NavItem {
  href: string;
  text: string;
  permission: Permission;
  /** Shown only to these roles, when the permission alone is too broad (start pages). */
  roles?: readonly Role[];
}

const NAV: NavItem[] = [
  { href: '/today', text: 'Today', permission: 'task.manage', roles: ['link_worker'] },
  { href: '/triage', text: 'Waiting list', permission: 'referral.triage' },
  { href: '/caseload', text: 'Caseload', permission: 'episode.read' },
  { href: '/diary', text: 'Diary', permission: 'episode.read', roles: ['link_worker'] },
  { href: '/directory', text: 'Directory', permission: 'directory.search' },
  { href: '/link-worker', text: 'My service', permission: 'team.view', roles: ['link_worker'] },
  { href: START_PAGES.service_manager, text: 'Team', permission: 'team.view', roles: ['service_manager'] },
  { href: '/gaps', text: 'Gaps', permission: 'gap.register' },
  { href: '/reports/outcomes', text: 'Outcomes', permission: 'report.outcomes' },
  { href: '/reports/activity', text: 'Activity', permission: 'report.activity' },
  { href: '/service/settings', text: 'Settings', permission: 'service.configure' },
  { href: START_PAGES.referrer, text: 'My practice', permission: 'practice.view' },
  { href: '/referrals/new', text: 'Refer someone', permission: 'referral.create' },
  { href: '/referrals', text: 'Referrals', permission: 'referral.track' },
  { href: START_PAGES.provider, text: 'My organisation', permission: 'organisation.view_own', roles: ['provider'] },
  { href: '/provider/referrals', text: 'Referrals', permission: 'connection.respond' },
  { href: START_PAGES.directory_editor, text: 'Editing', permission: 'organisation.view_own', roles: ['directory_editor'] },
  { href: START_PAGES.commissioner, text: 'Services', permission: 'commissioning.view' },
  { href: START_PAGES.admin, text: 'Administration', permission: 'organisation.manage' },
  { href: '/admin/organisations', text: 'Organisations', permission: 'organisation.manage' },
  { href: '/admin/users', text: 'Users', permission: 'user.manage' },
];

export function navigationFor(actor: Actor | null, currentPath: string, unreadMessages = 0) {
  if (!actor) return [];
  const messages: NavItem = { href: '/messages', text: unreadMessages ? `Messages (${unreadMessages} new)` : 'Messages', permission: 'home.view' };
  const items = [...NAV, messages].filter((item) => can(actor, item.permission) && (!item.roles || item.roles.includes(actor.role)));
  // The section is the longest item the path is under: /provider/referrals/… is Referrals, not My organisation.
  const section = items
    .filter((item) => currentPath === item.href || currentPath.startsWith(`${item.href}/`))
    .sort((a, b) => b.href.length - a.href.length)[0]?.href;
  return items.map((item) => ({
    href: item.href,
    text: item.text,
    current: currentPath === item.href,
    active: currentPath !== item.href && item.href === section,
  }));
}
