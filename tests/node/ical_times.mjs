// Read .ics files the way Thunderbird does (Mozilla's ical.js) and print, as JSON,
// every event's start and end in UTC plus the UTC start/end of its occurrences.
// Usage: node ical_times.mjs LIMIT file.ics...   (LIMIT: occurrences per event)
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

function stamp(time) {
  if (time.isDate) {
    return "date:" + time.toString();  // YYYY-MM-DD
  }
  return new Date(time.toUnixTime() * 1000).toISOString().replace(".000Z", "Z");
}

const limit = Number(process.argv[2]);
const result = {};
for (const path of process.argv.slice(3)) {
  const calendar = new ICAL.Component(ICAL.parse(readFileSync(path, "utf8")));
  // Like Thunderbird: the file's own VTIMEZONE defines its TZID.
  for (const vtimezone of calendar.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(vtimezone);
  }
  // Like Thunderbird: a VEVENT with RECURRENCE-ID replaces that instance of its event.
  const components = calendar.getAllSubcomponents("vevent");
  const overrides = components.filter((c) => c.hasProperty("recurrence-id"));
  result[path] = components.filter((c) => !c.hasProperty("recurrence-id")).map((component) => {
    const event = new ICAL.Event(component);
    for (const other of overrides) {
      if (other.getFirstPropertyValue("uid") === event.uid) {
        event.relateException(new ICAL.Event(other));
      }
    }
    const occurrences = [];
    if (event.isRecurring()) {
      const iterator = event.iterator();
      for (let next = iterator.next(); next && occurrences.length < limit; next = iterator.next()) {
        const details = event.getOccurrenceDetails(next);
        occurrences.push([stamp(details.startDate), stamp(details.endDate)]);
      }
    }
    return {
      uid: event.uid,
      summary: event.summary,
      zone: event.startDate.isDate ? null : event.startDate.zone.tzid,
      start: stamp(event.startDate),
      end: stamp(event.endDate),
      status: component.getFirstPropertyValue("status"),
      sequence: event.sequence,
      occurrences,
    };
  });
}
process.stdout.write(JSON.stringify(result));
