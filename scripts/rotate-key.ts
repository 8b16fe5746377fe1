// `npm run keys:rotate`: adds a fresh key to the data directory's key ring and makes it current.
// New payloads use it once Paprika restarts; old histories keep decoding with the old keys, which
// stay in the ring (delete one only after every history it encrypted is past retention).
import { config as loadedConfig } from '../src/config';
import { rotateKeyFile } from '../src/temporal/keys';

function main(): void {
  const config = loadedConfig();
  if (config.security.encryptionKeys.length) {
    console.error(
      'PAPRIKA_ENCRYPTION_KEY is set, so the key comes from the environment: put a new key first in it\n' +
        'and keep the old one after a comma (PAPRIKA_ENCRYPTION_KEY=<new>,<old>), then restart.',
    );
    process.exit(1);
  }
  const { id, previous, count } = rotateKeyFile(config.dataDir);
  console.log(`New key ${id} is current${previous ? ` (was ${previous})` : ''}; ${count} keys in ${config.dataDir}/keys.json.`);
  console.log('Restart Paprika (worker and API) so new payloads use it; old histories stay readable.');
}

main();
