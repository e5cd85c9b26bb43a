/** The baseline's one activity: returns at once, so the figure is the engine's cost alone. */
export function createBaselineActivities() {
  return {
    acknowledge(id: string): Promise<string> {
      return Promise.resolve(`ok ${id}`);
    },
  };
}

export type BaselineActivities = ReturnType<typeof createBaselineActivities>;
