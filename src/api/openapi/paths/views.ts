import type { PathsObject } from 'openapi3-ts/oas31';
import { PATHS } from '../../paths.ts';
import {
  IDENTIFIER_MAX_LENGTH,
  INVALID_COUNTRY,
  INVALID_HOURS,
  INVALID_LIMIT,
  MAX_HOURS,
  MAX_LIMIT,
  invalidIdentifier,
} from '../../../domain/rules.ts';
import type { Examples } from '../examples.ts';
import { parameterRef } from '../parameters.ts';
import {
  errorResponse,
  internalError,
  jsonResponse,
  storageUnavailable,
  type ErrorCase,
} from '../responses.ts';
import { schemaRef } from '../schema-kit.ts';
import type { DocumentSettings } from '../settings.ts';

const invalidHours: ErrorCase = {
  when: `\`hours\` is missing, or not a plain decimal in (0, ${MAX_HOURS}].`,
  message: INVALID_HOURS,
};

/** The read models: starts per country, and a player's completed sessions. */
export function viewPaths(settings: DocumentSettings, ex: Examples): PathsObject {
  const windowNote = `Exact, not approximate; never older than the retention (${settings.retention}).`;
  return {
    [PATHS.allCountriesStarts]: {
      get: {
        tags: ['Views'],
        operationId: 'getCountriesStarts',
        summary: 'Starts per country in the last X hours',
        description: `Sessions started in \`[from, to)\`, per country. ${windowNote}`,
        parameters: [parameterRef('Hours')],
        responses: {
          '200': jsonResponse(
            'Countries with at least one start, most starts first, then by code.',
            schemaRef('CountriesStarts'),
            ex.countries,
          ),
          '400': errorResponse('A parameter is malformed.', { invalid_hours: invalidHours }),
          '503': storageUnavailable,
          '500': internalError,
        },
      },
    },
    [PATHS.countryStarts]: {
      get: {
        tags: ['Views'],
        operationId: 'getCountryStarts',
        summary: 'Starts of one country in the last X hours, with its hourly series',
        description: `Same window as \`/v1/countries/starts\`. ${windowNote}`,
        parameters: [parameterRef('Country'), parameterRef('Hours')],
        responses: {
          '200': jsonResponse(
            'The country’s starts in the window, and per UTC hour.',
            schemaRef('CountryStarts'),
            ex.country,
          ),
          '400': errorResponse('A parameter is malformed.', {
            invalid_country: {
              when: 'the country is not two ASCII letters.',
              message: INVALID_COUNTRY,
            },
            invalid_hours: invalidHours,
          }),
          '503': storageUnavailable,
          '500': internalError,
        },
      },
    },
    [PATHS.playerSessions]: {
      get: {
        tags: ['Views'],
        operationId: 'getPlayerSessions',
        summary: 'A player’s last completed sessions',
        description:
          'Sessions whose start and end were both received, the end not before the start. A player without any gets an empty list, not a 404.',
        parameters: [parameterRef('PlayerId'), parameterRef('Limit')],
        responses: {
          '200': jsonResponse('Newest end first.', schemaRef('PlayerSessions'), ex.sessions),
          '400': errorResponse('A parameter is malformed.', {
            invalid_player_id: {
              when: `\`player_id\` is longer than ${IDENTIFIER_MAX_LENGTH} characters or holds whitespace or a control character.`,
              message: invalidIdentifier('player_id'),
            },
            invalid_limit: {
              when: `\`limit\` is not an integer from 1 to ${MAX_LIMIT}.`,
              message: INVALID_LIMIT,
            },
          }),
          '503': storageUnavailable,
          '500': internalError,
        },
      },
    },
  };
}
