import { itFindsEveryPlanted } from './findsPlanted.js';

itFindsEveryPlanted('race');
