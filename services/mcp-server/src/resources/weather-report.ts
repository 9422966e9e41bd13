/** Example resource template: a weather report per location (RFC 6570 `weather://{location}`). */
import { defineResourceTemplate } from '../index.js';
import { weatherFor } from '../tools/get-weather.js';

const KNOWN = ['Amsterdam', 'Berlin', 'London', 'New York', 'Paris', 'Tokyo'];

export default defineResourceTemplate({
  uriTemplate: 'weather://{location}',
  name: 'weather-report',
  title: 'Weather report',
  description: 'A plain-text weather report for a location.',
  mimeType: 'text/plain',
  scopes: ['mcp:resources'],
  complete: { location: (value) => KNOWN.filter((k) => k.toLowerCase().startsWith(value.toLowerCase())) },
  read: (uri, vars) => {
    const location = String(vars.location ?? '').trim();
    // RFC 6570 lets {location} match an empty string; there is no report for "nowhere".
    if (location.length === 0 || location.length > 100) return undefined;
    const w = weatherFor(location);
    return [{ uri, mimeType: 'text/plain', text: `${location}: ${w.celsius} °C, ${w.condition}, humidity ${w.humidity} %` }];
  },
});
