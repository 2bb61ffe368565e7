import t from 'tap';
import { corpusFile, describeDifference, readCorpus, recordCorpus } from '../scripts/corpus.js';

/**
 * Behaviour, byte for byte: every endpoint for every seeded account and 200 generated ones, and the control
 * plane's sequences, answered exactly as recorded in test/corpus/responses.jsonl.gz (scripts/corpus.ts).
 * A change meant to change behaviour records the corpus again (npx tsx scripts/corpus.ts) and says so in
 * its commit; any other change must leave it as it is.
 */
t.test('the recorded corpus, answered again byte for byte', async (t) => {
  const recorded = readCorpus(corpusFile);
  const now = await recordCorpus();
  t.equal(now.length, recorded.length, 'as many exchanges');
  const differ = now.filter((e, i) => JSON.stringify(e) !== JSON.stringify(recorded[i]));
  t.same(differ.slice(0, 5).map((e) => describeDifference(e, recorded[e.n])), [], `${differ.length} of ${now.length} exchanges differ`);
  t.ok(recorded.length > 2500, `${recorded.length} exchanges`);
});
