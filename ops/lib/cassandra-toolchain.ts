import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { OpsError } from './errors.ts';
import { run } from './process.ts';

/**
 * What running the local Cassandra needs from the machine: a Java it supports, and its jars,
 * which Maven resolves from Maven Central into the Maven cache (once per machine).
 */

const POM = fileURLToPath(new URL('../cassandra/pom.xml', import.meta.url));
const SUPPORTED_JAVA = [11, 17];

/** The classpath of Cassandra `version`, written to (and reused from) `classpathFile`. */
export async function resolveClasspath(
  version: string,
  classpathFile: string,
  say: (line: string) => void,
): Promise<string[]> {
  const cached = readClasspath(classpathFile);
  if (cached) return cached;

  const mvn = await run('mvn', ['-v']);
  if (mvn.missing || mvn.code !== 0) {
    throw new OpsError(
      'Maven (mvn) is needed to fetch Apache Cassandra from Maven Central, and it was not found.',
      'Install it (Debian/Ubuntu: `sudo apt-get install maven`), or point CASSANDRA_CONTACT_POINTS at a running Cassandra.',
    );
  }
  fs.mkdirSync(path.dirname(classpathFile), { recursive: true });
  say(`Fetching Apache Cassandra ${version} from Maven Central (once per machine) ...`);
  const started = Date.now();
  // Written aside and renamed: the nodes of one stack share the file, and one may read it while
  // another process resolves.
  const written = `${classpathFile}.${process.pid}.tmp`;
  const result = await run('mvn', [
    '-q',
    '-B',
    '-f',
    POM,
    'dependency:build-classpath',
    `-Dcassandra.version=${version}`,
    '-DincludeScope=runtime',
    `-Dmdep.outputFile=${written}`,
    // An sjk pom refers to these system paths; Maven resolves fine once they are defined.
    '-Djmc5.path=/tmp',
    '-Djmc6.path=/tmp',
    '-Dvisualvm.path=/tmp',
  ]);
  const jars = readClasspath(written);
  if (result.code !== 0 || !jars) {
    fs.rmSync(written, { force: true });
    throw new OpsError(
      `Maven could not resolve org.apache.cassandra:cassandra-all:${version}.`,
      lastLines(result.stdout + result.stderr, 15),
    );
  }
  fs.renameSync(written, classpathFile);
  say(`  ${jars.length} jars resolved in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return jars;
}

/** The java binary to run Cassandra with, checked to be a supported version. */
export async function checkJava(javaHome: string | undefined): Promise<string> {
  const java = javaHome ? path.join(javaHome, 'bin', 'java') : 'java';
  const result = await run(java, ['-version']);
  if (result.missing) {
    throw new OpsError(
      'Java is needed to run the local Cassandra, and it was not found.',
      'Install Java 17 (Debian/Ubuntu: `sudo apt-get install openjdk-17-jre-headless`) or set JAVA_HOME; or point CASSANDRA_CONTACT_POINTS at a running Cassandra.',
    );
  }
  const match = /version "(\d+)(?:\.(\d+))?/.exec(result.stderr);
  const major = match ? Number(match[1] === '1' ? match[2] : match[1]) : NaN;
  if (!SUPPORTED_JAVA.includes(major)) {
    throw new OpsError(
      `Cassandra 5.0 runs on Java 11 or 17; ${java} is Java ${Number.isNaN(major) ? '(unknown)' : major}.`,
      'Set JAVA_HOME to a Java 17 installation (see /usr/lib/jvm).',
    );
  }
  return java;
}

function readClasspath(file: string): string[] | undefined {
  if (!fs.existsSync(file)) return undefined;
  const jars = fs.readFileSync(file, 'utf8').trim().split(path.delimiter).filter(Boolean);
  // The Maven cache may have been cleared since the classpath was written.
  return jars.length > 0 && jars.every((jar) => fs.existsSync(jar)) ? jars : undefined;
}

export function lastLines(text: string, n: number): string {
  return text.trim().split('\n').slice(-n).join('\n');
}
