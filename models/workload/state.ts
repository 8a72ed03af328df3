// Placeholder until workload generators land: the scenario helper replaces this file.
export type WorkloadState = Readonly<Record<string, never>>;
