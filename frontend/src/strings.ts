// The card's own words. Entity states come translated from Home Assistant (formatEntityState).

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
    choose_server: "Several Plex servers are set up: choose one in the card's settings.",
    unknown_server: "The chosen Plex server is no longer set up.",
    no_tasks: "No tasks to show: the server is unavailable or reports none.",
    server: "Plex server",
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
    choose_server:
      "Mehrere Plex-Server sind eingerichtet: Wähle einen in den Einstellungen der Karte.",
    unknown_server: "Der gewählte Plex-Server ist nicht mehr eingerichtet.",
    no_tasks: "Keine Aufgaben: Der Server ist nicht erreichbar oder meldet keine.",
    server: "Plex-Server",
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
    choose_server:
      "Plusieurs serveurs Plex sont configurés : choisissez-en un dans les paramètres de la carte.",
    unknown_server: "Le serveur Plex choisi n'est plus configuré.",
    no_tasks: "Aucune tâche à afficher : le serveur est indisponible ou n'en signale aucune.",
    server: "Serveur Plex",
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
    choose_server:
      "Hay varios servidores Plex configurados: elige uno en los ajustes de la tarjeta.",
    unknown_server: "El servidor Plex elegido ya no está configurado.",
    no_tasks: "No hay tareas que mostrar: el servidor no está disponible o no informa de ninguna.",
    server: "Servidor Plex",
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
    choose_server:
      "Er zijn meerdere Plex-servers ingesteld: kies er een in de instellingen van de kaart.",
    unknown_server: "De gekozen Plex-server is niet meer ingesteld.",
    no_tasks: "Geen taken: de server is niet beschikbaar of meldt er geen.",
    server: "Plex-server",
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
    choose_server:
      "Sono configurati più server Plex: scegline uno nelle impostazioni della scheda.",
    unknown_server: "Il server Plex scelto non è più configurato.",
    no_tasks: "Nessuna attività da mostrare: il server non è disponibile o non ne segnala.",
    server: "Server Plex",
  },
} as const;

export type StringKey = keyof (typeof STRINGS)["en"];

// "de-CH" reads German; a language without a table reads English.
export function localize(language: string, key: StringKey): string {
  const table = STRINGS[language.split("-")[0] as keyof typeof STRINGS] ?? STRINGS.en;
  return table[key];
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 86400],
  ["month", 30 * 86400],
  ["week", 7 * 86400],
  ["day", 86400],
  ["hour", 3600],
  ["minute", 60],
];

// "3 hours ago", "in 2 days", in the user's language.
export function relativeTime(language: string, when: Date, now: Date): string {
  const seconds = (when.getTime() - now.getTime()) / 1000;
  const format = new Intl.RelativeTimeFormat(language, { numeric: "auto" });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) {
      return format.format(Math.round(seconds / size), unit);
    }
  }
  return format.format(Math.round(seconds), "second");
}
