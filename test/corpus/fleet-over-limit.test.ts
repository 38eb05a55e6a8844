import { itFindsEveryPlanted } from './findsPlanted.js';

itFindsEveryPlanted('fleet-over-limit');
