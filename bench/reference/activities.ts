// The reference's one activity: returns its input, so the measured time is Temporal's alone.
export async function echo(text: string): Promise<string> {
  return text;
}
