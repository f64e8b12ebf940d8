import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The embedded engine has no postmaster.pid of its own: a second process opening the same data
 * folder (`npm run seed -- --replace` while the server runs) writes over the first one's pages
 * and leaves a database that aborts on the next start. A lock file naming the holder's PID keeps
 * the folder to one process at a time.
 */
export const lockFileName = 'city-ops.lock';

export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: number,
  ) {
    super(`DATA_DIR ${dataDir} is in use by process ${holder} (the console server?). Stop it first.`);
  }
}

export interface DataDirLock {
  /** The PID of a dead holder whose lock was taken over, if there was one. */
  staleHolder?: number;
  release(): void;
}

/**
 * Lock files this process holds. A lock naming our own PID is not ours when it is missing here: a
 * container restarted after a kill -9 gives the new server the PID of the old one.
 */
const heldByThisProcess = new Set<string>();

/** Takes the folder's lock, or throws DataDirInUseError if a live process holds it. */
export function lockDataDir(dataDir: string): DataDirLock {
  const lockPath = path.join(dataDir, lockFileName);
  let staleHolder: number | undefined;
  for (let attempt = 0; attempt < 5; attempt++) {
    if (createLockFile(lockPath)) {
      heldByThisProcess.add(lockPath);
      return { staleHolder, release: () => releaseLock(lockPath) };
    }
    const holder = lockHolder(lockPath);
    if (holder === 'gone') continue;
    if (holder !== undefined && isAlive(holder, lockPath)) throw new DataDirInUseError(dataDir, holder);
    // The holder died without closing (kill -9, a crash, a power cut); an unreadable lock is one
    // whose writer died between creating it and writing its PID.
    staleHolder = holder;
    rmSync(lockPath, { force: true });
  }
  throw new Error(`Could not lock DATA_DIR ${dataDir}: its lock file ${lockPath} keeps changing hands.`);
}

function createLockFile(lockPath: string): boolean {
  try {
    // 'wx' is O_CREAT | O_EXCL: of two processes racing here, exactly one creates the file.
    writeFileSync(lockPath, `${process.pid}\n`, { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

function lockHolder(lockPath: string): number | undefined | 'gone' {
  let text: string;
  try {
    text = readFileSync(lockPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw error;
  }
  const pid = Number(text.trim());
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}

function isAlive(pid: number, lockPath: string): boolean {
  if (pid === process.pid) return heldByThisProcess.has(lockPath);
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

function releaseLock(lockPath: string): void {
  if (!heldByThisProcess.delete(lockPath)) return;
  rmSync(lockPath, { force: true });
}
