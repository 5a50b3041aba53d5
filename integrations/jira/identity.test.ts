import { describe, expect, it } from 'vitest';
import type { Identity } from '../../src/db/schema.ts';
import { useMswServer } from '../../test/msw-server.ts';
import { createCloudClient } from './cloud-client.ts';
import { createDataCenterClient } from './datacenter-client.ts';
import { FakeJira } from './jira-fake-server.ts';
import { resolveJiraIdentity } from './identity.ts';
import { jiraTestConfig } from './jira-test-kit.ts';

const server = useMswServer();

function identity(id: string, platform = 'jira'): Identity {
  return { id: 'i1', platform, platform_user_id: id } as Identity;
}

describe('resolveJiraIdentity', () => {
  it('maps a Cloud accountId to email (when visible), name and active flag', async () => {
    const jira = new FakeJira('cloud');
    const visible = { id: '5b10ac8d82e05b22cc7d4ef5', name: 'Dana Ops', email: 'dana@acme.example' };
    const hidden = { id: '712020:0e9d2a4c-1f0e-4c69-9f55-a2d8c3e7b6aa', name: 'Sam Dev' };
    const gone = { id: '557058:f2b1c3d4-0000-4c70-ab8e-c9a5c9aa2d8e', name: 'Former Employee', active: false };
    jira.addIssue({
      key: 'OPS-1',
      updated: new Date(),
      creator: visible,
      comments: [jira.comment(hidden, 'x', new Date()), jira.comment(gone, 'y', new Date())],
    });
    server.use(...jira.handlers());
    const client = await createCloudClient(jiraTestConfig('cloud'));
    expect(await resolveJiraIdentity(client, identity(visible.id))).toEqual({
      active: true,
      email: 'dana@acme.example',
      display_name: 'Dana Ops',
    });
    expect(await resolveJiraIdentity(client, identity(hidden.id))).toEqual({ active: true, display_name: 'Sam Dev' });
    expect(await resolveJiraIdentity(client, identity(gone.id))).toMatchObject({ active: false });
    expect(await resolveJiraIdentity(client, identity('unknown-account'))).toEqual({ active: false });
    expect(jira.called('GET', /\/rest\/api\/3\/user$/)[0]!.query).toEqual({ accountId: visible.id });
    expect(await resolveJiraIdentity(client, identity('U123', 'slack'))).toBeNull();
  });

  it('maps a Data Center user key', async () => {
    const jira = new FakeJira('datacenter');
    const lee = { id: 'JIRAUSER10100', name: 'Lee', email: 'lee@corp.example' };
    jira.addIssue({ key: 'ENG-1', updated: new Date(), creator: lee });
    server.use(...jira.handlers());
    const client = createDataCenterClient(jiraTestConfig('datacenter', { JIRA_DEPLOYMENT: 'datacenter' }));
    expect(await resolveJiraIdentity(client, identity('JIRAUSER10100'))).toEqual({
      active: true,
      email: 'lee@corp.example',
      display_name: 'Lee',
    });
    expect(jira.called('GET', /\/rest\/api\/2\/user$/)[0]!.query).toEqual({ key: 'JIRAUSER10100' });
  });
});
