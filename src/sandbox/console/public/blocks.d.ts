// Types for blocks.js, which the browser loads as it is (no build step) and the unit tests import.
export interface RenderContext {
  userName(id: string): string;
  channelName(id: string): string;
}
export interface TextObject {
  type: 'mrkdwn' | 'plain_text';
  text: string;
  emoji?: boolean;
}
export const EMOJI: Record<string, string>;
export function escapeHtml(s: unknown): string;
export function emojify(html: string): string;
export function mrkdwn(text: string | undefined, ctx?: RenderContext): string;
export function textObject(t: TextObject | string | undefined, ctx?: RenderContext): string;
export function renderBlocks(blocks: unknown[] | undefined | null, ctx?: RenderContext, opts?: { surface?: 'message' | 'modal' | 'home'; errors?: Record<string, string> }): string;
export function renderElement(el: Record<string, unknown>, blockId: string, ctx?: RenderContext): string;
export function parseCsv(text: string): string[][];
