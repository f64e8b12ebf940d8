import { useCallback, useEffect, useState } from 'react';
import { fetchDistricts, fetchHealth, fetchLayers, type Health, type PublishedLayer } from '../api/client.ts';
import { districtLabels, type DistrictLabel } from '../map/district-labels.ts';

export interface ConsoleData {
  health: Health | undefined;
  layers: PublishedLayer[] | undefined;
  labels: DistrictLabel[];
  /** Set while the API cannot be reached or answers with an error. */
  error: string | undefined;
  retry: () => void;
}

/** How often the status line re-checks the server, so a server that went away is noticed. */
const healthIntervalMs = 30_000;

export function useConsoleData(): ConsoleData {
  const [health, setHealth] = useState<Health>();
  const [layers, setLayers] = useState<PublishedLayer[]>();
  const [labels, setLabels] = useState<DistrictLabel[]>([]);
  // Kept apart so a health check that succeeds does not hide a layer list that failed to load.
  const [healthError, setHealthError] = useState<string>();
  const [layersError, setLayersError] = useState<string>();
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    const reportTo = (setError: (message: string) => void) => (failure: unknown) => {
      if (!signal.aborted) setError((failure as Error).message);
    };
    const checkHealth = () =>
      fetchHealth(signal).then((body) => {
        setHealth(body);
        setHealthError(undefined);
      }, reportTo(setHealthError));

    void checkHealth();
    fetchLayers(signal).then((body) => {
      setLayers(body);
      setLayersError(undefined);
    }, reportTo(setLayersError));
    // Labels are a nicety: without them the map still works, so their failure is only logged.
    fetchDistricts(signal).then(
      (districts) => setLabels(districtLabels(districts)),
      (failure: unknown) => signal.aborted || console.warn('district labels unavailable', failure),
    );
    const timer = window.setInterval(() => void checkHealth(), healthIntervalMs);
    return () => {
      controller.abort();
      window.clearInterval(timer);
    };
  }, [attempt]);

  const retry = useCallback(() => setAttempt((count) => count + 1), []);
  return { health, layers, labels, error: healthError ?? layersError, retry };
}
