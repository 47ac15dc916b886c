import { createMemoryStore } from '../../../src/workflows/index.js';
import { dataProtectionCases } from './dataProtection.cases.js';

dataProtectionCases('memory', async () => createMemoryStore());
