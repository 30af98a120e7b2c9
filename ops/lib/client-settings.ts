import Joi from 'joi';
import { loadSettings } from '../../src/config/env.ts';
import { setting, settingsOf, type Table, type Values } from '../../src/config/settings.ts';

/** Settings of the clients among the ops tools (the loader): how they present themselves. */
export const CLIENT_SETTINGS = {
  /** The API key the loader sends (`--api-key` overrides it). */
  apiKey: setting('API_KEY', Joi.string()),
} satisfies Table;

export type ClientSettings = Values<typeof CLIENT_SETTINGS>;

export const CLIENT_VARIABLES: readonly string[] = settingsOf(CLIENT_SETTINGS).map((s) => s.name);

export function loadClientSettings(
  env?: Readonly<Record<string, string | undefined>>,
): ClientSettings {
  return loadSettings(CLIENT_SETTINGS, env);
}

/** The request header that presents a key, or none. */
export function authHeader(apiKey: string | undefined): Record<string, string> {
  return apiKey === undefined ? {} : { authorization: `Bearer ${apiKey}` };
}
