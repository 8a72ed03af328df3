import type { DeviceEvent } from '../../events/index.ts';
import type { Handlers } from '../context.ts';

// Placeholder until the devices aggregate lands: its helper replaces this file.
export const devicesHandlers: Handlers<DeviceEvent> = {};
