// Slack's Block Kit limits, small builders that respect them, and a checker for tests. Slack rejects a whole
// message (invalid_blocks) when one field is one character too long, so builders truncate what people wrote and
// throw on what code wrote (a button value cut in half is worse than an error).
import type { types } from '@slack/bolt';

export type KnownBlock = types.KnownBlock;
export type SectionBlock = types.SectionBlock;
export type HeaderBlock = types.HeaderBlock;
export type ContextBlock = types.ContextBlock;
export type DividerBlock = types.DividerBlock;
export type ActionsBlock = types.ActionsBlock;
export type Button = types.Button;

export const LIMITS = {
  messageBlocks: 50,
  modalBlocks: 100,
  homeBlocks: 100,
  /** Any text object, and a section's text. */
  text: 3000,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  actionId: 255,
  blockId: 255,
  /** A message's top-level `text` (the notification fallback). */
  messageText: 40_000,
} as const;

export type Surface = 'message' | 'modal' | 'home';

const MAX_BLOCKS: Record<Surface, number> = {
  message: LIMITS.messageBlocks,
  modal: LIMITS.modalBlocks,
  home: LIMITS.homeBlocks,
};

/** At most `max` characters (UTF-16 units, which is never fewer than Slack counts), ending in "…" when cut. */
export function truncate(text: string, max: number, ellipsis = '…'): string {
  if (text.length <= max) return text;
  return cutAt(text, max - ellipsis.length).trimEnd() + ellipsis;
}

/** A prefix of at most `n` units that does not split a surrogate pair. */
function cutAt(text: string, n: number): string {
  const end = Math.max(0, n);
  const code = text.charCodeAt(end - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? end - 1 : end);
}

const FENCE = '```';

/**
 * At most `max` characters, cut at the last line break that fits and ending in a "…" line; a code block left
 * open by the cut is closed so the rest of the message keeps its formatting.
 */
export function truncateLines(text: string, max: number): string {
  if (text.length <= max) return text;
  const tail = '\n…';
  const room = max - tail.length - (FENCE.length + 1);
  const lineEnd = text.lastIndexOf('\n', room);
  let kept = lineEnd > 0 ? text.slice(0, lineEnd) : cutAt(text, room);
  if ((kept.split(FENCE).length - 1) % 2 === 1) kept += `\n${FENCE}`;
  return kept + tail;
}

/** Escapes what Slack's mrkdwn treats as markup (`&`, `<`, `>`): for anything a user or a tag wrote. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A mention when the ID looks like a Slack user; otherwise the escaped text, so a tag cannot ping a channel. */
export function userMention(userId: string): string {
  return /^[UW][A-Z0-9]{2,}$/.test(userId) ? `<@${userId}>` : escapeMrkdwn(userId);
}

export function section(text: string, options: { blockId?: string; fields?: string[] } = {}): SectionBlock {
  const block: SectionBlock = { type: 'section', text: { type: 'mrkdwn', text: truncateLines(text, LIMITS.sectionText) } };
  if (options.fields) {
    if (options.fields.length > LIMITS.sectionFields) {
      throw new RangeError(`a section holds at most ${LIMITS.sectionFields} fields, got ${options.fields.length}`);
    }
    block.fields = options.fields.map((f) => ({ type: 'mrkdwn', text: truncateLines(f, LIMITS.sectionFieldText) }));
  }
  if (options.blockId) block.block_id = checkedId(options.blockId, 'block_id', LIMITS.blockId);
  return block;
}

export function header(text: string): HeaderBlock {
  return { type: 'header', text: { type: 'plain_text', text: truncate(oneLine(text), LIMITS.headerText), emoji: true } };
}

/** Small grey mrkdwn lines; at most 10 of them. */
export function context(...texts: string[]): ContextBlock {
  if (texts.length > LIMITS.contextElements) {
    throw new RangeError(`a context block holds at most ${LIMITS.contextElements} elements, got ${texts.length}`);
  }
  return { type: 'context', elements: texts.map((t) => ({ type: 'mrkdwn', text: truncateLines(t, LIMITS.text) })) };
}

export function divider(): DividerBlock {
  return { type: 'divider' };
}

export function button(text: string, actionId: string, value: string, style?: 'primary' | 'danger'): Button {
  if (value.length > LIMITS.buttonValue) {
    throw new RangeError(`the value of button ${actionId} is ${value.length} characters; Slack allows ${LIMITS.buttonValue}`);
  }
  const b: Button = {
    type: 'button',
    text: { type: 'plain_text', text: truncate(oneLine(text), LIMITS.buttonText), emoji: true },
    action_id: checkedId(actionId, 'action_id', LIMITS.actionId),
    value,
  };
  if (style) b.style = style;
  return b;
}

export function actions(elements: Button[], blockId?: string): ActionsBlock {
  if (elements.length > LIMITS.actionsElements) {
    throw new RangeError(`an actions block holds at most ${LIMITS.actionsElements} elements, got ${elements.length}`);
  }
  const block: ActionsBlock = { type: 'actions', elements };
  if (blockId) block.block_id = checkedId(blockId, 'block_id', LIMITS.blockId);
  return block;
}

function checkedId(id: string, what: string, max: number): string {
  if (id.length === 0 || id.length > max) throw new RangeError(`${what} "${truncate(id, 40)}" must be 1–${max} characters`);
  return id;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}

// ---- checking a finished message -------------------------------------------------------------------------------

interface LooseText {
  type?: string;
  text?: string;
}
interface LooseElement {
  type?: string;
  text?: LooseText | string;
  action_id?: string;
  value?: string;
  url?: string;
}
interface LooseBlock {
  type?: string;
  block_id?: string;
  text?: LooseText;
  fields?: LooseText[];
  elements?: LooseElement[];
  accessory?: LooseElement;
}

export interface BlockKitMessage {
  text?: string;
  blocks?: readonly KnownBlock[];
}

/**
 * Every Block Kit limit the message breaks, in words; empty when Slack would accept it. Covers the limits the
 * builders above know about: block count, section/header/context text, fields, buttons, actions and IDs.
 */
export function blockKitViolations(message: BlockKitMessage, surface: Surface = 'message'): string[] {
  const problems: string[] = [];
  const blocks = (message.blocks ?? []) as readonly LooseBlock[];
  const maxBlocks = MAX_BLOCKS[surface];
  if (blocks.length > maxBlocks) problems.push(`${blocks.length} blocks; a ${surface} allows ${maxBlocks}`);
  if (message.text !== undefined && message.text.length > LIMITS.messageText) {
    problems.push(`fallback text is ${message.text.length} characters; Slack allows ${LIMITS.messageText}`);
  }
  const blockIds = new Set<string>();
  blocks.forEach((block, i) => {
    const where = `block ${i} (${block.type ?? '?'})`;
    if (block.block_id !== undefined) {
      if (block.block_id.length === 0 || block.block_id.length > LIMITS.blockId) problems.push(`${where}: block_id must be 1–${LIMITS.blockId} characters`);
      if (blockIds.has(block.block_id)) problems.push(`${where}: block_id "${block.block_id}" is used twice`);
      blockIds.add(block.block_id);
    }
    switch (block.type) {
      case 'section':
        checkSection(block, where, problems);
        break;
      case 'header':
        checkText(block.text, `${where} text`, LIMITS.headerText, problems, 'plain_text');
        break;
      case 'context':
        if (!block.elements?.length) problems.push(`${where}: needs at least one element`);
        else if (block.elements.length > LIMITS.contextElements) {
          problems.push(`${where}: ${block.elements.length} elements; Slack allows ${LIMITS.contextElements}`);
        }
        block.elements?.forEach((e, j) => {
          if (e.type === 'mrkdwn' || e.type === 'plain_text') checkText(e as LooseText, `${where} element ${j}`, LIMITS.text, problems);
        });
        break;
      case 'actions': {
        if (!block.elements?.length) problems.push(`${where}: needs at least one element`);
        else if (block.elements.length > LIMITS.actionsElements) {
          problems.push(`${where}: ${block.elements.length} elements; Slack allows ${LIMITS.actionsElements}`);
        }
        const actionIds = new Set<string>();
        block.elements?.forEach((e, j) => {
          checkElement(e, `${where} element ${j}`, problems);
          if (e.action_id !== undefined) {
            if (actionIds.has(e.action_id)) problems.push(`${where}: action_id "${e.action_id}" is used twice`);
            actionIds.add(e.action_id);
          }
        });
        break;
      }
    }
  });
  return problems;
}

/** Throws, listing every violation, when Slack would reject the message. For tests and for builders' own checks. */
export function assertWithinBlockKitLimits(message: BlockKitMessage, surface: Surface = 'message'): void {
  const problems = blockKitViolations(message, surface);
  if (problems.length > 0) {
    throw new Error(`Block Kit limits exceeded (${problems.length}):\n- ${problems.slice(0, 20).join('\n- ')}`);
  }
}

function checkSection(block: LooseBlock, where: string, problems: string[]): void {
  if (!block.text && !block.fields?.length) problems.push(`${where}: needs text or fields`);
  if (block.text) checkText(block.text, `${where} text`, LIMITS.sectionText, problems);
  if (block.fields) {
    if (block.fields.length > LIMITS.sectionFields) {
      problems.push(`${where}: ${block.fields.length} fields; Slack allows ${LIMITS.sectionFields}`);
    }
    block.fields.forEach((f, j) => checkText(f, `${where} field ${j}`, LIMITS.sectionFieldText, problems));
  }
  if (block.accessory) checkElement(block.accessory, `${where} accessory`, problems);
}

function checkElement(e: LooseElement, where: string, problems: string[]): void {
  if (e.action_id !== undefined && (e.action_id.length === 0 || e.action_id.length > LIMITS.actionId)) {
    problems.push(`${where}: action_id must be 1–${LIMITS.actionId} characters`);
  }
  if (e.type !== 'button') return;
  checkText(typeof e.text === 'string' ? { text: e.text } : e.text, `${where} button text`, LIMITS.buttonText, problems, 'plain_text');
  if (e.value !== undefined && e.value.length > LIMITS.buttonValue) {
    problems.push(`${where}: button value is ${e.value.length} characters; Slack allows ${LIMITS.buttonValue}`);
  }
  if (e.url !== undefined && e.url.length > LIMITS.buttonUrl) {
    problems.push(`${where}: button url is ${e.url.length} characters; Slack allows ${LIMITS.buttonUrl}`);
  }
}

function checkText(
  t: LooseText | undefined,
  where: string,
  max: number,
  problems: string[],
  mustBe?: 'plain_text',
): void {
  if (!t || typeof t.text !== 'string') {
    problems.push(`${where}: missing`);
    return;
  }
  if (mustBe && t.type !== mustBe) problems.push(`${where}: must be ${mustBe}, is ${t.type ?? 'untyped'}`);
  if (t.text.length === 0) problems.push(`${where}: empty`);
  if (t.text.length > max) problems.push(`${where}: ${t.text.length} characters; Slack allows ${max}`);
}
