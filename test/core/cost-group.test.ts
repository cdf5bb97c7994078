import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { costGroup } from '../../src/core/cost.js';

describe('costGroup (COST_TAGS)', () => {
  it('takes the first key present and not blank, in COST_TAGS order', () => {
    expect(costGroup({ team: 'payments', 'cost-center': 'cc-9' }, ['cost-center', 'team'])).toBe('cc-9');
    expect(costGroup({ team: '  ', 'cost-center': 'cc-9' }, ['team', 'cost-center'])).toBe('cc-9');
    expect(costGroup({ Name: 'x' }, ['team'])).toBeUndefined();
  });

  it('COST_TAGS defaults to team and takes a comma list in order', () => {
    expect(loadConfig({}).costTags).toEqual(['team']);
    expect(loadConfig({ COST_TAGS: 'cost-center, team' }).costTags).toEqual(['cost-center', 'team']);
  });
});
