import { itFindsEveryPlanted } from './findsPlanted.js';

itFindsEveryPlanted('starved');
