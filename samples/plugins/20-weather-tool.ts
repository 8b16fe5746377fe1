// A tool plugin: agents may look up the weather (read) and may post to the team channel
// (side_effect, so every post waits for the user's approval first).
import { definePlugin, z } from 'paprika/plugin';

export default definePlugin({
  name: 'weather',
  tools: [
    {
      name: 'forecast',
      description: 'The weather forecast for a city, for today.',
      input: z.object({ city: z.string().min(1).describe('City name, e.g. "Lyon"') }),
      kind: 'read',
      async run({ city }) {
        return `Forecast for ${city}: sunny, 21 °C`;
      },
    },
    {
      name: 'post_to_team',
      description: 'Post a short message to the team channel.',
      input: z.object({ text: z.string().min(1).max(500) }),
      kind: 'side_effect',
      async run({ text }) {
        // A real plugin would call the chat service's API here.
        return `posted: ${text}`;
      },
    },
  ],
});
