import { itFindsEveryPlanted } from './findsPlanted.js';

itFindsEveryPlanted('fanout');
