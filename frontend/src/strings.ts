// The card's own words. Entity states come translated from Home Assistant (formatEntityState).

import type { Locale } from "./types";

const STRINGS = {
  en: {
    maintenance: "Maintenance",
    live_updates: "Live updates",
    start_all: "Start all",
    stop_all: "Stop all",
    start: "Start",
    stop: "Stop",
    last_run: "Last run",
    next_run: "Next run",
    never: "never",
    not_seen: "not seen yet",
    debug_log_off: "the server's debug log is off",
    debug_log_off_detail:
      "Its runs show only in the server's debug log, which is off.",
    source_observed: "seen",
    source_server_log: "server log",
    source_backup_file: "backup file",
    source_started_here: "started here",
    no_server: "No Plex Butler server is set up.",
    unknown_server: "The chosen Plex server is no longer set up.",
    no_tasks: "No tasks to show: the server is unavailable or reports none.",
    server: "Plex server",
    disabled_task: "Switched off on the server: turn its Enabled switch on to start it.",
    update_warning: "Automatic updates are on: Start all may install a server update.",
    cancel: "Cancel",
  },
  de: {
    maintenance: "Wartung",
    live_updates: "Live-Updates",
    start_all: "Alle starten",
    stop_all: "Alle stoppen",
    start: "Starten",
    stop: "Stoppen",
    last_run: "Letzter Lauf",
    next_run: "Nächster Lauf",
    never: "nie",
    not_seen: "noch nicht gesehen",
    debug_log_off: "das Debug-Log des Servers ist aus",
    debug_log_off_detail:
      "Ihre Läufe zeigen sich nur im Debug-Log des Servers, und das ist aus.",
    source_observed: "gesehen",
    source_server_log: "Server-Log",
    source_backup_file: "Sicherungsdatei",
    source_started_here: "hier gestartet",
    no_server: "Es ist kein Plex-Butler-Server eingerichtet.",
    unknown_server: "Der gewählte Plex-Server ist nicht mehr eingerichtet.",
    no_tasks: "Keine Aufgaben: Der Server ist nicht erreichbar oder meldet keine.",
    server: "Plex-Server",
    disabled_task: "Auf dem Server ausgeschaltet: Schalte „Aktiviert“ ein, um sie zu starten.",
    update_warning:
      "Automatische Updates sind an: „Alle starten“ kann ein Server-Update installieren.",
    cancel: "Abbrechen",
  },
  fr: {
    maintenance: "Maintenance",
    live_updates: "Mises à jour en direct",
    start_all: "Tout lancer",
    stop_all: "Tout arrêter",
    start: "Lancer",
    stop: "Arrêter",
    last_run: "Dernière exécution",
    next_run: "Prochaine exécution",
    never: "jamais",
    not_seen: "pas encore vue",
    debug_log_off: "le journal de débogage du serveur est désactivé",
    debug_log_off_detail:
      "Ses exécutions n'apparaissent que dans le journal de débogage du serveur, qui est désactivé.",
    source_observed: "vue",
    source_server_log: "journal du serveur",
    source_backup_file: "fichier de sauvegarde",
    source_started_here: "lancée ici",
    no_server: "Aucun serveur Plex Butler n'est configuré.",
    unknown_server: "Le serveur Plex choisi n'est plus configuré.",
    no_tasks: "Aucune tâche à afficher : le serveur est indisponible ou n'en signale aucune.",
    server: "Serveur Plex",
    disabled_task:
      "Désactivée sur le serveur : activez son interrupteur « Activée » pour la lancer.",
    update_warning:
      "Les mises à jour automatiques sont activées : « Tout lancer » peut installer une mise à jour du serveur.",
    cancel: "Annuler",
  },
  es: {
    maintenance: "Mantenimiento",
    live_updates: "Actualizaciones en directo",
    start_all: "Iniciar todas",
    stop_all: "Detener todas",
    start: "Iniciar",
    stop: "Detener",
    last_run: "Última ejecución",
    next_run: "Próxima ejecución",
    never: "nunca",
    not_seen: "aún no vista",
    debug_log_off: "el registro de depuración del servidor está desactivado",
    debug_log_off_detail:
      "Sus ejecuciones solo aparecen en el registro de depuración del servidor, que está desactivado.",
    source_observed: "vista",
    source_server_log: "registro del servidor",
    source_backup_file: "copia de seguridad",
    source_started_here: "iniciada aquí",
    no_server: "No hay ningún servidor de Plex Butler configurado.",
    unknown_server: "El servidor Plex elegido ya no está configurado.",
    no_tasks: "No hay tareas que mostrar: el servidor no está disponible o no informa de ninguna.",
    server: "Servidor Plex",
    disabled_task: "Desactivada en el servidor: activa su interruptor «Activada» para iniciarla.",
    update_warning:
      "Las actualizaciones automáticas están activadas: «Iniciar todas» puede instalar una actualización del servidor.",
    cancel: "Cancelar",
  },
  nl: {
    maintenance: "Onderhoud",
    live_updates: "Live-updates",
    start_all: "Alles starten",
    stop_all: "Alles stoppen",
    start: "Starten",
    stop: "Stoppen",
    last_run: "Laatste uitvoering",
    next_run: "Volgende uitvoering",
    never: "nooit",
    not_seen: "nog niet gezien",
    debug_log_off: "het debuglogboek van de server staat uit",
    debug_log_off_detail:
      "De uitvoeringen staan alleen in het debuglogboek van de server, en dat staat uit.",
    source_observed: "gezien",
    source_server_log: "serverlogboek",
    source_backup_file: "back-upbestand",
    source_started_here: "hier gestart",
    no_server: "Er is geen Plex Butler-server ingesteld.",
    unknown_server: "De gekozen Plex-server is niet meer ingesteld.",
    no_tasks: "Geen taken: de server is niet beschikbaar of meldt er geen.",
    server: "Plex-server",
    disabled_task:
      "Uitgeschakeld op de server: zet de schakelaar ‘Ingeschakeld’ aan om de taak te starten.",
    update_warning:
      "Automatische updates staan aan: ‘Alles starten’ kan een serverupdate installeren.",
    cancel: "Annuleren",
  },
  it: {
    maintenance: "Manutenzione",
    live_updates: "Aggiornamenti in tempo reale",
    start_all: "Avvia tutte",
    stop_all: "Ferma tutte",
    start: "Avvia",
    stop: "Ferma",
    last_run: "Ultima esecuzione",
    next_run: "Prossima esecuzione",
    never: "mai",
    not_seen: "non ancora vista",
    debug_log_off: "il log di debug del server è disattivato",
    debug_log_off_detail:
      "Le esecuzioni compaiono solo nel log di debug del server, che è disattivato.",
    source_observed: "vista",
    source_server_log: "log del server",
    source_backup_file: "file di backup",
    source_started_here: "avviata qui",
    no_server: "Nessun server Plex Butler configurato.",
    unknown_server: "Il server Plex scelto non è più configurato.",
    no_tasks: "Nessuna attività da mostrare: il server non è disponibile o non ne segnala.",
    server: "Server Plex",
    disabled_task: "Disattivata sul server: accendi l’interruttore «Abilitata» per avviarla.",
    update_warning:
      "Gli aggiornamenti automatici sono attivi: «Avvia tutte» può installare un aggiornamento del server.",
    cancel: "Annulla",
  },
} as const;

export type StringKey = keyof (typeof STRINGS)["en"];

// "de-CH" reads German; a language without a table reads English.
export function localize(language: string, key: StringKey): string {
  const table = STRINGS[language.split("-")[0] as keyof typeof STRINGS] ?? STRINGS.en;
  return table[key];
}

const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

// When a week starts where the user lives (0 Sunday … 6 Saturday): Home Assistant's profile
// setting, or the language's own (Monday where the browser does not say).
function firstWeekday(locale: Locale): number {
  const chosen = locale.first_weekday;
  if (chosen && chosen !== "language") {
    const index = WEEKDAYS.indexOf(chosen);
    return index === -1 ? 1 : index;
  }
  const info = new Intl.Locale(locale.language) as Intl.Locale & {
    getWeekInfo?: () => { firstDay: number };
    weekInfo?: { firstDay: number };
  };
  return ((info.getWeekInfo?.() ?? info.weekInfo)?.firstDay ?? 1) % 7;
}

// Whole days from one midnight to another, daylight saving time or not.
function calendarDays(from: Date, to: Date): number {
  const day = (date: Date) => Date.UTC(date.getFullYear(), date.getMonth(), date.getDate());
  return Math.round((day(from) - day(to)) / 86_400_000);
}

function startOfWeek(date: Date, first: number): Date {
  const start = new Date(date);
  start.setDate(date.getDate() - ((date.getDay() - first + 7) % 7));
  return start;
}

// The unit and count Home Assistant's frontend says a moment in, so that the card reads as its
// device pages at the same moment ("in 3 days" on both): seconds under 59, minutes under 59,
// hours under 22; then calendar days of the browser's clock (hours on the same day) under 5,
// calendar weeks under 4, calendar months under 11 (or in the same year), then years.
function selectUnit(
  when: Date,
  now: Date,
  locale: Locale,
): [number, Intl.RelativeTimeFormatUnit] {
  const seconds = (when.getTime() - now.getTime()) / 1000;
  if (Math.abs(seconds) < 59) return [Math.round(seconds), "second"];
  if (Math.abs(seconds / 60) < 59) return [Math.round(seconds / 60), "minute"];
  const hours = seconds / 3600;
  if (Math.abs(hours) < 22) return [Math.round(hours), "hour"];
  const from = new Date(when);
  const to = new Date(now);
  from.setHours(0, 0, 0, 0);
  to.setHours(0, 0, 0, 0);
  const days = calendarDays(from, to);
  if (days === 0) return [Math.round(hours), "hour"];
  if (Math.abs(days) < 5) return [days, "day"];
  const first = firstWeekday(locale);
  const weeks = Math.trunc(calendarDays(startOfWeek(from, first), startOfWeek(to, first)) / 7);
  if (weeks === 0) return [days, "day"];
  if (Math.abs(weeks) < 4) return [weeks, "week"];
  const years = from.getFullYear() - to.getFullYear();
  const months = years * 12 + from.getMonth() - to.getMonth();
  if (months === 0) return [weeks, "week"];
  if (Math.abs(months) < 11 || years === 0) return [months, "month"];
  return [years, "year"];
}

// "3 hours ago", "in 2 days", in the user's language, as Home Assistant's frontend says it.
export function relativeTime(locale: Locale, when: Date, now: Date): string {
  const format = new Intl.RelativeTimeFormat(locale.language, { numeric: "auto" });
  return format.format(...selectUnit(when, now, locale));
}
