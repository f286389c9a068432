/**
 * Who may change a guild's corpus: members with the Manage Server permission, or with the role
 * configured as MODERATOR_ROLE_ID. Checked server-side on every /add and /remove, in addition to
 * the commands' `default_member_permissions` (which server admins can override per guild).
 */
import { PermissionFlagsBits, type Interaction } from 'discord.js';

/** True when the interaction's member may add or remove documents in its guild. */
export function isModerator(i: Pick<Interaction, 'memberPermissions' | 'member'>, moderatorRoleId?: string): boolean {
  if (i.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) return true;
  if (!moderatorRoleId || !i.member) return false;
  const roles = i.member.roles;
  return Array.isArray(roles) ? roles.includes(moderatorRoleId) : roles.cache.has(moderatorRoleId);
}

export const MODERATOR_ONLY =
  'Only moderators can do this: you need the Manage Server permission or the moderator role.';
