// vobiz-mock/testcontainers against a real Docker engine: the image built from this Dockerfile, started, healthy,
// answering, its control plane reached. Where no engine is reachable (this repository's CI has none: buildah
// stands in for the image smoke), it says so and skips.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import t from 'tap';

const engine = process.env.DOCKER_HOST !== undefined || existsSync('/var/run/docker.sock');
const skip = engine ? false : 'no Docker engine reachable (neither DOCKER_HOST nor /var/run/docker.sock)';

t.test('startVobizMock: the image starts, is healthy, answers, and its control plane is reached', { skip, timeout: 600_000 }, async (t) => {
  const { GenericContainer } = await import('testcontainers');
  const image = 'vobiz-mock:testcontainers-test';
  await GenericContainer.fromDockerfile(fileURLToPath(new URL('..', import.meta.url))).build(image, { deleteOnExit: false });
  const { startVobizMock } = await import('../src/testcontainers.js');
  const vobiz = await startVobizMock({ image, environment: { VOBIZ_MOCK_ADMIN_TOKEN: 'tc-secret' } });
  t.teardown(() => vobiz.stop());
  const me = await fetch(`${vobiz.url}/api/v1/auth/me`, { headers: { 'X-Auth-ID': 'MA_POSTPAID', 'X-Auth-Token': 'postpaid-token' } });
  t.equal(me.status, 200);
  const control = vobiz.control('tc');
  await control.setBalance('MA_POSTPAID', 'INR', 5);
  t.equal((await control.account('MA_POSTPAID')).balances[0]!['balance'], 5, 'the admin token passed on');
});
